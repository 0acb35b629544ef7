import { describe, expect, it } from 'vitest';
import { environmentFromJSON } from './environment.js';

describe('environmentFromJSON display config', () => {
  it("reads the instance's colours from Clerk's theme.general, null when unset", () => {
    const themed = environmentFromJSON({ display_config: { application_name: 'Acme', theme: { general: { color: '#0f766e', background_color: '#f0fdfa' } } } });
    expect(themed.displayConfig).toEqual({ applicationName: 'Acme', brandColor: '#0f766e', backgroundColor: '#f0fdfa' });
    expect(environmentFromJSON({ display_config: { application_name: 'Acme', theme: { general: {} } } }).displayConfig).toEqual({
      applicationName: 'Acme',
      brandColor: null,
      backgroundColor: null,
    });
    expect(environmentFromJSON(null).displayConfig).toEqual({ applicationName: '', brandColor: null, backgroundColor: null });
  });
});
