/* global getComputedStyle */
// Runs inside the page (page.evaluate): plain browser JavaScript, kept apart from the Node-typed
// test code. Returns [{ rule, where }] for each accessibility problem it finds.
(() => {
  const out = [];
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
  const visible = (el) => {
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const idsExist = (value) => value === null || value.split(/\s+/).filter(Boolean).every((id) => document.getElementById(id) !== null);
  const name = (el) => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    if (el.labels && el.labels.length > 0) return [...el.labels].map((l) => l.textContent ?? '').join(' ').trim();
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return (el.getAttribute('title') ?? '').trim();
    return (el.textContent ?? '').trim();
  };

  // Every control a keyboard or screen reader user meets has a name.
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href], [role="button"]')) {
    if (el.getAttribute('type') === 'hidden' || !visible(el) || el.classList.contains('clipboard-helper')) continue;
    if (name(el) === '') out.push({ rule: 'control-has-name', where: describe(el) });
  }
  // ARIA references point at elements that exist.
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) if (!idsExist(el.getAttribute(attr))) out.push({ rule: `${attr}-target-exists`, where: describe(el) });
  }
  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  if (h1s.length !== 1) out.push({ rule: 'one-h1', where: `${h1s.length} h1 elements` });
  for (const el of document.querySelectorAll('[role="img"], img')) if (name(el) === '' && !el.getAttribute('alt')) out.push({ rule: 'image-has-text', where: describe(el) });
  for (const el of document.querySelectorAll('nav')) if (name(el) === '') out.push({ rule: 'nav-has-name', where: describe(el) });
  const seen = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen.has(el.id)) out.push({ rule: 'unique-id', where: el.id });
    seen.add(el.id);
  }
  if (!document.documentElement.lang) out.push({ rule: 'html-has-lang', where: 'html' });
  return out;
})();
