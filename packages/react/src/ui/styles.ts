/**
 * The prebuilt components' default stylesheet, inserted once into <head> — first, so the app's
 * own CSS (and `appearance.elements` classes) override it at equal specificity. Every colour,
 * the radius and the font come from `--lk-*` custom properties that `appearance.variables` sets.
 */
import { useInsertionEffect } from 'react';

const CSS = `
.lk-root {
  --lk-p: var(--lk-color-primary, #2f5bd3);
  --lk-on-p: var(--lk-color-on-primary, #ffffff);
  --lk-danger: var(--lk-color-danger, #b42318);
  --lk-ok: var(--lk-color-success, #1f7a3d);
  --lk-text: var(--lk-color-text, #1d2433);
  --lk-muted: var(--lk-color-text-secondary, #5b6475);
  --lk-bg: var(--lk-color-background, #ffffff);
  --lk-input-bg: var(--lk-color-input-background, #ffffff);
  --lk-input-text: var(--lk-color-input-text, var(--lk-text));
  --lk-line: var(--lk-color-border, #d9dee7);
  --lk-r: var(--lk-radius, 10px);
  box-sizing: border-box; color: var(--lk-text); font-family: var(--lk-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
  font-size: var(--lk-font-size, 16px); line-height: 1.5; text-align: left;
}
.lk-root *, .lk-root *::before, .lk-root *::after { box-sizing: border-box; }
.latchkey-sign-in.lk-root, .latchkey-sign-up.lk-root {
  background: var(--lk-bg); border: 1px solid var(--lk-line); border-radius: var(--lk-r); padding: 28px 28px 20px;
  width: 100%; max-width: 420px; margin: 0 auto; box-shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 8px 24px rgba(16, 24, 40, .06);
}
.lk-root .lk-header { margin: 0 0 20px; }
.lk-root .lk-title { font-size: 1.3em; line-height: 1.25; margin: 0 0 6px; font-weight: 700; }
.lk-root .lk-subtitle { color: var(--lk-muted); margin: 0; font-size: .92em; }
.lk-root .lk-form { display: grid; gap: 14px; margin: 0; }
.lk-root .lk-formField { display: grid; gap: 5px; }
.lk-root .lk-formFieldLabel { display: flex; justify-content: space-between; gap: 8px; font-weight: 600; font-size: .9em; margin: 0; }
.lk-root .lk-formFieldLabel .lk-optional { font-weight: 400; color: var(--lk-muted); }
.lk-root .lk-formFieldInput {
  display: block; width: 100%; font: inherit; margin: 0; padding: 9px 11px; color: var(--lk-input-text); background: var(--lk-input-bg);
  border: 1px solid color-mix(in srgb, var(--lk-line) 70%, #000 12%); border-radius: calc(var(--lk-r) * .8);
}
.lk-root .lk-formFieldInput[aria-invalid='true'] { border-color: var(--lk-danger); }
.lk-root .lk-formFieldHint { color: var(--lk-muted); font-size: .82em; margin: 0; }
.lk-root .lk-formFieldError { color: var(--lk-danger); font-size: .85em; margin: 0; }
.lk-root .lk-formFieldError:empty { display: none; }
.lk-root .lk-button {
  font: inherit; font-weight: 600; font-size: .95em; padding: 9px 16px; margin: 0; border-radius: calc(var(--lk-r) * .8); cursor: pointer;
  border: 1px solid var(--lk-line); background: var(--lk-bg); color: var(--lk-text); text-align: center; line-height: 1.4;
}
.lk-root .lk-formButtonPrimary { border-color: var(--lk-p); background: var(--lk-p); color: var(--lk-on-p); }
.lk-root .lk-buttonDanger { border-color: var(--lk-danger); background: var(--lk-danger); color: #fff; }
.lk-root .lk-button:hover:not(:disabled) { filter: brightness(1.06); }
.lk-root .lk-button:disabled { opacity: .6; cursor: default; }
.lk-root .lk-button:focus-visible, .lk-root .lk-formFieldInput:focus-visible, .lk-root a:focus-visible {
  outline: 3px solid color-mix(in srgb, var(--lk-p) 45%, transparent); outline-offset: 2px;
}
.lk-root .lk-block { width: 100%; }
.lk-root .lk-divider { display: flex; align-items: center; gap: 10px; color: var(--lk-muted); font-size: .85em; margin: 16px 0; }
.lk-root .lk-divider::before, .lk-root .lk-divider::after { content: ''; flex: 1; border-top: 1px solid var(--lk-line); }
.lk-root .lk-alert {
  color: var(--lk-danger); background: color-mix(in srgb, var(--lk-danger) 8%, var(--lk-bg)); border: 1px solid color-mix(in srgb, var(--lk-danger) 35%, var(--lk-bg));
  border-radius: calc(var(--lk-r) * .8); padding: 9px 12px; margin: 0 0 14px; font-size: .9em;
}
.lk-root .lk-alert:empty { display: none; }
.lk-root .lk-status { color: var(--lk-muted); font-size: .9em; margin: 10px 0 0; }
.lk-root .lk-status[data-kind='success'] { color: var(--lk-ok); }
.lk-root .lk-status:empty { display: none; }
.lk-root .lk-footer { border-top: 1px solid var(--lk-line); margin: 20px -28px 0; padding: 14px 28px 0; color: var(--lk-muted); font-size: .9em; text-align: center; }
.lk-root .lk-footerLink, .lk-root .lk-link { color: var(--lk-p); font-weight: 600; margin-left: 4px; }
.lk-root button.lk-link { background: none; border: 0; padding: 0; margin: 0; font: inherit; font-weight: 600; cursor: pointer; }
.lk-root .lk-section { background: var(--lk-bg); border: 1px solid var(--lk-line); border-radius: var(--lk-r); padding: 20px; margin: 0 0 16px; }
.lk-root .lk-sectionTitle { font-size: 1.1em; margin: 0 0 12px; font-weight: 700; }
.lk-root .lk-list { list-style: none; padding: 0; margin: 0 0 14px; display: grid; gap: 10px; }
.lk-root .lk-listItem { border: 1px solid var(--lk-line); border-radius: calc(var(--lk-r) * .8); padding: 12px 14px; }
.lk-root .lk-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.lk-root .lk-row-spread { justify-content: space-between; }
.lk-root .lk-badge { display: inline-block; font-size: .75em; font-weight: 600; padding: 1px 8px; border-radius: 999px; background: color-mix(in srgb, var(--lk-p) 12%, var(--lk-bg)); color: var(--lk-p); margin-left: 6px; vertical-align: middle; }
.lk-root .lk-details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 10px; font-size: .875em; }
.lk-root .lk-details dt { color: var(--lk-muted); }
.lk-root .lk-details dd { margin: 0; overflow-wrap: anywhere; }
.lk-root .lk-name { display: block; font-size: 1.02em; font-weight: 700; overflow-wrap: anywhere; }
.lk-root .lk-inline-form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin: 0 0 8px; }
.lk-root .lk-inline-form .lk-formField { flex: 1 1 180px; }
.lk-root .lk-confirm p { flex-basis: 100%; margin: 0; }
.lk-root .lk-danger-zone { border-color: color-mix(in srgb, var(--lk-danger) 35%, var(--lk-line)); }
.lk-root .lk-muted { color: var(--lk-muted); margin: 0 0 12px; font-size: .92em; }
.lk-root .lk-link-button { background: none; border: 0; padding: 0; cursor: pointer; font: inherit; }
.lk-root .lk-link-button:focus-visible { outline: 2px solid var(--lk-p); outline-offset: 2px; }
.lk-root .lk-codes { list-style: none; padding: 12px; margin: 0 0 14px; display: grid; grid-template-columns: repeat(auto-fill, minmax(7.5em, 1fr)); gap: 6px 16px; border: 1px dashed var(--lk-line); border-radius: var(--lk-r); font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 1em; letter-spacing: .02em; }
.latchkey-user-button.lk-root { position: relative; display: inline-block; }
.lk-root .lk-userButtonTrigger { display: inline-flex; align-items: center; gap: 8px; padding: 4px 10px 4px 4px; border-radius: 999px; max-width: 220px; }
.lk-root .lk-avatar {
  flex: none; width: 30px; height: 30px; border-radius: 50%; display: inline-grid; place-items: center; font-size: .8em; font-weight: 700;
  background: var(--lk-p); color: var(--lk-on-p); text-transform: uppercase;
}
.lk-root .lk-trigger-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lk-root .lk-userButtonPopover {
  position: absolute; right: 0; top: calc(100% + 8px); z-index: 50; width: min(300px, calc(100vw - 24px)); background: var(--lk-bg);
  border: 1px solid var(--lk-line); border-radius: var(--lk-r); box-shadow: 0 12px 32px rgba(16, 24, 40, .16); padding: 8px;
}
.lk-root .lk-account { display: flex; align-items: center; gap: 10px; padding: 8px; }
.lk-root .lk-account-text { min-width: 0; }
.lk-root .lk-account-text strong, .lk-root .lk-account-text span { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lk-root .lk-account-text span { color: var(--lk-muted); font-size: .85em; }
.lk-root .lk-userButtonAction { display: block; width: 100%; text-align: left; border: 0; border-radius: calc(var(--lk-r) * .6); background: none; padding: 8px 10px; font-weight: 500; color: var(--lk-text); text-decoration: none; }
.lk-root .lk-userButtonAction:hover:not(:disabled) { background: color-mix(in srgb, var(--lk-p) 8%, var(--lk-bg)); filter: none; }
.lk-root .lk-userButtonAction .lk-account { padding: 0; }
.lk-root .lk-menu-sep { border: 0; border-top: 1px solid var(--lk-line); margin: 6px 0; }
`;

let inserted = false;

/** Puts the stylesheet in the document once, before any other style, on first use of a component. */
export function useLatchkeyStyles(): void {
  useInsertionEffect(() => {
    if (inserted || typeof document === 'undefined' || document.querySelector('style[data-latchkey]')) {
      inserted = true;
      return;
    }
    const style = document.createElement('style');
    style.dataset['latchkey'] = '';
    style.textContent = CSS;
    document.head.prepend(style);
    inserted = true;
  }, []);
}
