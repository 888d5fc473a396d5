/**
 * The bench bundles each library twice, with the same build a user's
 * production build makes (test/support/bundle-size.ts): for the size of its
 * entry, and for the script of its page.
 */
import { bundleSize, type BundleSize } from '../../support/bundle-size.js'

export type Bundle = BundleSize

/**
 * Bundles `entryCode`, e.g. `export { default } from 'posthog-js'`. It must
 * export what it wants kept: a bare import of a side-effect-free package is
 * tree-shaken to nothing.
 */
export const bundle = (entryCode: string): Promise<Bundle> => bundleSize(entryCode)
