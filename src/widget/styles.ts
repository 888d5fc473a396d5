/**
 * The widget's stylesheet. It lives in a shadow root, so page CSS cannot
 * reach in; the root resets what a host page could pass down by inheritance
 * (`all: initial`) and sizes everything in px or in em of its own px size.
 *
 * Theme it with these custom properties, set on the widget or any ancestor
 * (defaults light / dark, following `prefers-color-scheme`):
 * - `--pollen-accent`  pressed thumbs and chips, the Send button (#0969da / #4493f8)
 * - `--pollen-fg`      text (#1f2328 / #f0f6fc)
 * - `--pollen-bg`      background, and the text of the Send button (#ffffff / #0d1117)
 * - `--pollen-muted`   idle icons, status text, counter (#59636e / #9198a1)
 * - `--pollen-border`  card, comment box, chips (#d1d9e0 / #3d444d)
 * - `--pollen-danger`  failure text (#cf222e / #f85149)
 * - `--pollen-focus`   focus ring (the accent)
 * - `--pollen-radius`  corner radius (8px)
 * - `--pollen-gap`     spacing (8px; 6px when compact)
 * - `--pollen-font`    font family (the system UI font)
 *
 * Each default pair keeps text at 4.5:1 or more on `--pollen-bg`; keep that
 * when you change them.
 *
 * Page rules beat `:host` rules, except `!important` ones: those of the shadow
 * tree win. So the host's display is important (a page's `* { all: unset }`
 * would make it inline), and the root is a block-level flex box, so the line
 * height a page gives the host cannot stretch it.
 */
export const css = `
:host{display:inline-block!important}
.root{all:initial;display:flex;color-scheme:light dark;flex-direction:column;gap:var(--g);box-sizing:border-box;max-width:100%;
--a:var(--pollen-accent,#0969da);--f:var(--pollen-fg,#1f2328);--b:var(--pollen-bg,#fff);--m:var(--pollen-muted,#59636e);
--l:var(--pollen-border,#d1d9e0);--d:var(--pollen-danger,#cf222e);--r:var(--pollen-radius,8px);--g:var(--pollen-gap,8px);--s:18px;
font:14px/20px var(--pollen-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--f);background:var(--b);border-radius:var(--r)}
@media (prefers-color-scheme:dark){.root{--a:var(--pollen-accent,#4493f8);--f:var(--pollen-fg,#f0f6fc);--b:var(--pollen-bg,#0d1117);
--m:var(--pollen-muted,#9198a1);--l:var(--pollen-border,#3d444d);--d:var(--pollen-danger,#f85149)}}
.compact{--g:var(--pollen-gap,6px);--s:15px;font-size:12px;line-height:16px}
.row,.foot,.chips{display:flex;align-items:center;gap:2px}
button{font:inherit;color:inherit;background:none;border:0;margin:0;padding:5px 12px;border-radius:calc(var(--r) * .75);cursor:pointer}
.thumb{display:inline-flex;padding:6px;color:var(--m)}
.compact .thumb{padding:4px}
button:hover{background:color-mix(in srgb,var(--f) 8%,transparent)}
.thumb:hover{color:var(--f)}
.thumb[aria-pressed=true]{color:var(--a);background:color-mix(in srgb,var(--a) 14%,transparent)}
svg{width:var(--s);height:var(--s);fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
[aria-pressed=true] svg{fill:currentColor}
:focus-visible{outline:2px solid var(--pollen-focus,var(--a));outline-offset:1px}
.status{margin:0 8px 0 6px;color:var(--m);font-size:.93em}
.failed{color:var(--d)}
.card{display:flex;flex-direction:column;gap:var(--g);width:24em;max-width:100%;box-sizing:border-box;padding:12px;
border:1px solid var(--l);border-radius:var(--r)}
.compact .card{padding:8px}
.heading{font-weight:600}
.chips{flex-wrap:wrap;gap:6px}
.chip{padding:3px 10px;border:1px solid var(--l);border-radius:99px}
.chip[aria-pressed=true]{border-color:var(--a);background:color-mix(in srgb,var(--a) 14%,transparent)}
textarea{font:inherit;color:inherit;background:var(--b);border:1px solid var(--l);border-radius:calc(var(--r) * .75);
margin:0;padding:6px 8px;width:100%;min-height:5em;box-sizing:border-box;resize:vertical}
textarea:focus-visible{outline-offset:-1px}
::placeholder{color:var(--m);opacity:1}
.foot{gap:6px}
.count{margin-right:auto;color:var(--m);font-size:.93em}
.send{background:var(--a);color:var(--b);font-weight:600}
.send:hover{background:color-mix(in srgb,var(--a) 88%,var(--f))}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`
