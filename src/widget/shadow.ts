import { Fragment, h, render } from 'preact'
import type { FeedbackProps } from './props.js'
import { css } from './styles.js'
import { View } from './view.js'

// One constructed sheet per document, made on first mount: a sheet can only be
// adopted by shadow roots of the document that constructed it.
const sheets = new WeakMap<Document, CSSStyleSheet>()

/** Adopts the widget's sheet into `root`; false where constructable stylesheets are missing (Safari < 16.4). */
function adopt(root: ShadowRoot): boolean {
  const doc = root.ownerDocument
  const Sheet = doc.defaultView?.CSSStyleSheet
  if (!Sheet || !('replaceSync' in Sheet.prototype) || !('adoptedStyleSheets' in root)) return false
  let sheet = sheets.get(doc)
  if (!sheet) {
    sheet = new Sheet()
    sheet.replaceSync(css)
    sheets.set(doc, sheet)
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  return true
}

/** The open shadow root of `host`, attached now if it has none. */
export const shadowOf = (host: Element): ShadowRoot => host.shadowRoot ?? host.attachShadow({ mode: 'open' })

/**
 * Renders the widget into `root`, or re-renders it with new props. The
 * fallback `<style>` is part of the rendered tree because Preact's first
 * render into a node removes the children it did not create.
 */
export function renderInShadow(root: ShadowRoot, props: FeedbackProps): void {
  render(h(Fragment, null, adopt(root) ? null : h('style', null, css), h(View, props)), root)
}

/** Removes the widget from `root`, ending its subscriptions. */
export const unmountShadow = (root: ShadowRoot): void => render(null, root)
