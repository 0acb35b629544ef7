import { useMemo, type CSSProperties } from 'react';
import { elementClass, mergeAppearance, variablesStyle, type Appearance, type AppearanceElement } from './appearance.js';
import { format, mergeLocalization, type LatchkeyLocalization, type LocalizationResource } from './localization.js';
import { useUIOptions, type UIOptions } from './options.js';
import { useLatchkeyStyles } from './styles.js';

export interface UI {
  /** Every string, provider and component localization merged over the defaults. */
  l: LocalizationResource;
  /** `format` for a template with `{{…}}` placeholders. */
  f: typeof format;
  /** Class names of an element: `lk-<element>` plus the appearance's. */
  cls: (element: AppearanceElement, extra?: string) => string;
  /** Props of a component's root element: classes and the theme's custom properties. */
  root: (component: string) => { className: string; style: CSSProperties };
  options: UIOptions;
}

/** The prebuilt components' shared set-up: stylesheet, theme, strings, URLs. */
export function useUI(own: { appearance?: Appearance | undefined; localization?: LatchkeyLocalization | undefined } = {}): UI {
  useLatchkeyStyles();
  const options = useUIOptions();
  const appearance = useMemo(() => mergeAppearance(options.appearance, own.appearance), [options.appearance, own.appearance]);
  const l = useMemo(() => mergeLocalization(options.localization, own.localization), [options.localization, own.localization]);
  return useMemo<UI>(
    () => ({
      l,
      f: format,
      cls: (element, extra) => elementClass(appearance, element, extra),
      root: (component) => ({ className: elementClass(appearance, 'root', `latchkey-${component}`), style: variablesStyle(appearance.variables) }),
      options,
    }),
    [l, appearance, options],
  );
}
