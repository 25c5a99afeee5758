/**
 * The styles of the elements inside a slot's values, compared between the form's own layout and
 * the values layer. A values layer lifts a slot's content out of the sheet: a rule that reaches
 * an element through the sheet's structure (`td.v .code`, `tr > td span`) matched it in the whole
 * sheet but no longer does over the form. Text nodes are safe (they take the slot's inherited
 * properties, copied onto the box); elements are compared here, and a sheet whose elements came
 * out styled otherwise prints whole instead of misprinting.
 */

/** Computed properties that make an element look as it does (layout sizes are checked by overflow). */
const STYLED = [
  'display', 'position', 'float', 'vertical-align', 'color', 'background-color', 'font-family', 'font-size',
  'font-style', 'font-weight', 'font-variant', 'font-stretch', 'letter-spacing', 'word-spacing', 'line-height',
  'text-align', 'text-decoration-line', 'text-transform', 'text-indent', 'white-space', 'visibility', 'opacity',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style', 'border-top-color', 'border-bottom-color',
];

/** The styles of a slot's elements: what each element looks like, by its place within the slot. */
export type SlotStyles = Record<string, string>;

/**
 * Source of a page function `(container) => SlotStyles`: each element below `container`, keyed by
 * its path of tag, classes and position from the container, mapped to its computed STYLED values.
 * Empty when the content holds no element.
 */
export const STYLES_OF = `(container) => {
  const props = ${JSON.stringify(STYLED)};
  const out = {};
  const walk = (el, path) => {
    let n = 0;
    for (const child of el.children) {
      const key = path + '/' + child.tagName + '.' + [...child.classList].join('.') + ':' + n++;
      const cs = getComputedStyle(child);
      out[key] = props.map((p) => cs.getPropertyValue(p)).join(';');
      walk(child, key);
    }
  };
  walk(container, '');
  return out;
}`;

/** Whether a values box's elements look as they did in the form: every one known and alike. */
export const SAME_STYLES = `(seen, expected) => {
  const keys = Object.keys(seen);
  return keys.length === 0 || (!!expected && keys.every((k) => expected[k] === seen[k]));
}`;
