import { Fragment, type ComponentChildren } from 'preact';

/**
 * A translated sentence with markup inside it ("You are joining as <strong>an instructor</strong>."): the
 * `{name}` placeholders of `template` become `parts[name]`, so word order stays the translator's. Pass the
 * template from `t(key)` without vars.
 */
export function withParts(template: string, parts: Record<string, ComponentChildren>): ComponentChildren[] {
  // split() with a capture group alternates text and placeholder names: even indexes are text.
  return template
    .split(/\{(\w+)\}/)
    .map((piece, i) =>
      i % 2 === 0 ? piece : piece in parts ? <Fragment key={i}>{parts[piece]}</Fragment> : `{${piece}}`,
    );
}
