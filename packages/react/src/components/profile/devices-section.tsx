import type { SessionWithActivitiesResource, UserResource } from '@latchkey/js';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useLatchkeyContext } from '../../context.js';
import type { UI } from '../../ui/use-ui.js';
import { errorMessage } from '../error-message.js';
import { Notice, useNotice } from './notice.js';

function When({ date }: { date: Date }): ReactNode {
  return <time dateTime={date.toISOString()}>{date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}

/**
 * The user's active sessions on every browser. Sessions this browser holds are marked (the
 * client lists them); any other can be signed out from here.
 */
export function DevicesSection({ ui, user }: { ui: UI; user: UserResource }): ReactNode {
  const { l, f } = ui;
  const { snapshot } = useLatchkeyContext('UserProfile');
  const id = useId();
  const [sessions, setSessions] = useState<SessionWithActivitiesResource[] | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { notice, success, fail } = useNotice();
  const currentId = snapshot.session?.id;
  const here = new Set((snapshot.client?.sessions ?? []).map((s) => s.id));
  const currentIdRef = useRef(currentId);
  currentIdRef.current = currentId;
  const hereRef = useRef(here);
  hereRef.current = here;

  const load = useCallback(async () => {
    try {
      // This browser's sessions first, the acting one at the top.
      const list = await user.getSessions();
      const rank = (s: SessionWithActivitiesResource) => (s.id === currentIdRef.current ? 0 : hereRef.current.has(s.id) ? 1 : 2);
      setSessions(list.sort((a, b) => rank(a) - rank(b)));
    } catch (err) {
      fail(errorMessage(err, l.errors));
    }
  }, [user, fail, l.errors]);
  // Reload when the user changes (another account, or an update on the server's side).
  const userKey = `${user.id}:${user.updatedAt.getTime()}:${currentId}`;
  useEffect(() => {
    void load();
  }, [load, userKey]);

  async function revoke(s: SessionWithActivitiesResource): Promise<void> {
    setBusyId(s.id);
    try {
      await s.revoke();
      success(l.userProfile.sessionEnded);
      await load();
    } catch (err) {
      fail(errorMessage(err, l.errors));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className={ui.cls('section')} aria-labelledby={`${id}-title`} data-testid="user-profile-devices">
      <h2 id={`${id}-title`} className={ui.cls('sectionTitle')}>
        {l.userProfile.devicesTitle}
      </h2>
      {sessions === null ? (
        <p className="lk-muted">{l.loading}</p>
      ) : (
        <ul className={ui.cls('list')} data-testid="device-list">
          {sessions.map((s) => {
            const lastActive = s.lastActiveAt.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
            return (
              <li key={s.id} className={ui.cls('listItem')} data-testid="device-item" data-session-id={s.id} data-this-browser={here.has(s.id) ? 'true' : 'false'}>
                <strong className="lk-name">
                  {here.has(s.id) ? l.userProfile.thisBrowser : l.userProfile.otherDevice}
                  {s.id === currentId && (
                    <span className={ui.cls('badge')} data-testid="device-current">
                      {l.userProfile.currentSession}
                    </span>
                  )}
                </strong>
                <dl className="lk-details">
                  <dt>{l.userProfile.signedInAt}</dt>
                  <dd>
                    <When date={s.createdAt} />
                  </dd>
                  <dt>{l.userProfile.lastActive}</dt>
                  <dd>
                    <When date={s.lastActiveAt} />
                  </dd>
                </dl>
                {s.id !== currentId && (
                  <button
                    type="button"
                    className={ui.cls('button', 'lk-button')}
                    disabled={busyId !== null}
                    aria-label={f(l.userProfile.endSessionLabel, { when: lastActive })}
                    onClick={() => void revoke(s)}
                    data-testid="device-end"
                  >
                    {l.userProfile.endSession}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {sessions !== null && sessions.length <= 1 && <p className="lk-muted">{l.userProfile.noOtherSessions}</p>}
      <Notice ui={ui} notice={notice} testId="devices" />
    </section>
  );
}
