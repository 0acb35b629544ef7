/** Instance settings, read and changed through the backend API's `/v1/instance` (audited). */
import { useEffect, useState } from 'react';
import { api } from '../api';

export type Settings = Record<string, any>;

export function useSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    api<Settings>('GET', '/v1/instance').then(setSettings, setError);
  }, []);
  const save = async (patch: Settings, what = 'Saved') => {
    setError(null);
    setSaved(null);
    try {
      setSettings(await api<Settings>('PATCH', '/v1/instance', patch));
      setSaved(`${what}. It applies now here, and on every other server process sharing the database within a second.`);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  return { settings, error, saved, save };
}
