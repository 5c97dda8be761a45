// A native tooltip (an element's title) stays on screen when a dialog opens
// over the element under the pointer: WebKit redraws it only when the pointer
// moves. Taking the title off the hovered elements while the dialog is open
// takes the tooltip down with it; the titles come back when it closes.

/** Removes the titles of hovered elements outside `dialog`; the returned function puts them back. */
export function suspendTooltips(doc: Document, dialog: Element): () => void {
  const taken: [Element, string][] = [];
  for (const el of doc.querySelectorAll('[title]:hover')) {
    if (dialog.contains(el)) continue;
    taken.push([el, el.getAttribute('title') ?? '']);
    el.removeAttribute('title');
  }
  return () => {
    for (const [el, title] of taken) if (!el.hasAttribute('title')) el.setAttribute('title', title);
  };
}
