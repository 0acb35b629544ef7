/**
 * Theming of the prebuilt components, in the shape of Clerk's `appearance` prop: `variables`
 * (colours, radius, font) become CSS custom properties on each component's root, which the
 * default stylesheet reads; `elements` adds your class names to named elements.
 * @example
 * <SignIn appearance={{ variables: { colorPrimary: '#7c3aed', borderRadius: '4px' }, elements: { formButtonPrimary: 'my-button' } }} />
 */
import type { CSSProperties } from 'react';

export interface AppearanceVariables {
  /** Buttons, links, focus rings. */
  colorPrimary?: string;
  /** Text on primary buttons. */
  colorTextOnPrimary?: string;
  /** Errors and destructive actions. */
  colorDanger?: string;
  /** Success messages. */
  colorSuccess?: string;
  colorText?: string;
  colorTextSecondary?: string;
  /** The card behind each component. */
  colorBackground?: string;
  colorInputBackground?: string;
  colorInputText?: string;
  /** Borders and dividers. */
  colorBorder?: string;
  /** Corner radius of cards, inputs and buttons, e.g. `8px` or `0`. */
  borderRadius?: string;
  fontFamily?: string;
  /** Base font size, e.g. `16px`. */
  fontSize?: string;
}

/** Elements that take your class names (`appearance.elements`). */
export type AppearanceElement =
  | 'root'
  | 'header'
  | 'title'
  | 'subtitle'
  | 'form'
  | 'formField'
  | 'formFieldLabel'
  | 'formFieldInput'
  | 'formFieldHint'
  | 'formFieldError'
  | 'formButtonPrimary'
  | 'button'
  | 'buttonDanger'
  | 'alert'
  | 'status'
  | 'divider'
  | 'footer'
  | 'footerLink'
  | 'section'
  | 'sectionTitle'
  | 'list'
  | 'listItem'
  | 'badge'
  | 'avatar'
  | 'userButtonTrigger'
  | 'userButtonPopover'
  | 'userButtonAction';

export interface Appearance {
  variables?: AppearanceVariables;
  elements?: Partial<Record<AppearanceElement, string>>;
}

/** The component's own appearance wins over the provider's, key by key. */
export function mergeAppearance(base: Appearance | undefined, own: Appearance | undefined): Appearance {
  return {
    variables: { ...base?.variables, ...own?.variables },
    elements: { ...base?.elements, ...own?.elements },
  };
}

const VARIABLE_PROPS: Record<keyof AppearanceVariables, string> = {
  colorPrimary: '--lk-color-primary',
  colorTextOnPrimary: '--lk-color-on-primary',
  colorDanger: '--lk-color-danger',
  colorSuccess: '--lk-color-success',
  colorText: '--lk-color-text',
  colorTextSecondary: '--lk-color-text-secondary',
  colorBackground: '--lk-color-background',
  colorInputBackground: '--lk-color-input-background',
  colorInputText: '--lk-color-input-text',
  colorBorder: '--lk-color-border',
  borderRadius: '--lk-radius',
  fontFamily: '--lk-font-family',
  fontSize: '--lk-font-size',
};

/** Inline custom properties for the component root; unset variables keep the stylesheet's defaults. */
export function variablesStyle(variables: AppearanceVariables | undefined): CSSProperties {
  const style: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables ?? {})) {
    const prop = VARIABLE_PROPS[key as keyof AppearanceVariables];
    if (prop && typeof value === 'string' && value) style[prop] = value;
  }
  return style as CSSProperties;
}

/** `lk-<element>` (what the default stylesheet targets) plus the caller's classes for it. */
export function elementClass(appearance: Appearance, element: AppearanceElement, extra?: string): string {
  return [`lk-${element}`, extra, appearance.elements?.[element]].filter(Boolean).join(' ');
}
