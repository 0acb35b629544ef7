/**
 * The instance's look, from the environment (`display_config`): application name, brand colour
 * and page background (settings `applicationName`, `brandColor`, `backgroundColor`). Unset
 * colours keep the components' defaults.
 */
import type { Appearance } from '@latchkey/react';

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white (1.05 / (L + .05)) against contrast with black ((L + .05) / .05).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111827';
}

export function appearanceOf(brandColor: string | null): Appearance | undefined {
  if (!brandColor) return undefined;
  return { variables: { colorPrimary: brandColor, colorTextOnPrimary: textOn(brandColor) } };
}
