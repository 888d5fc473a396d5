/** The three libraries the peers bench compares, by short name, and the npm package each is. */
export type Library = 'pollen' | 'posthog' | 'mixpanel'

export const PACKAGES: Record<Library, string> = {
  pollen: 'pollen',
  posthog: 'posthog-js',
  mixpanel: 'mixpanel-browser',
}
