/**
 * Just enough XML for the gap filler: a scanner that finds elements with their exact byte ranges, so a response
 * can be corrected by cutting elements out while every other byte stays as moto wrote it (no re-serialization,
 * no dependency). AWS's XML has no mixed content, DTDs or namespaces-in-names that matter here.
 */

export interface XmlElement {
  /** Local name (a `prefix:` is dropped). */
  readonly name: string;
  /** Offset of the `<` that opens the element. */
  readonly start: number;
  /** Offset just after the `>` that closes it. */
  end: number;
  /** Offsets of the content between the tags (empty for `<x/>`). */
  readonly contentStart: number;
  contentEnd: number;
  readonly children: XmlElement[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Replaces the five predefined entities and numeric character references. */
export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** The top-level elements of a document (normally one), each with its subtree. Throws on malformed input. */
export function parseXml(text: string): XmlElement[] {
  const roots: XmlElement[] = [];
  const open: XmlElement[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<?', lt)) i = skipPast(text, lt, '?>');
    else if (text.startsWith('<!--', lt)) i = skipPast(text, lt, '-->');
    else if (text.startsWith('<![CDATA[', lt)) i = skipPast(text, lt, ']]>');
    else if (text.startsWith('<!', lt)) i = skipPast(text, lt, '>');
    else if (text[lt + 1] === '/') {
      const gt = skipPast(text, lt, '>');
      const name = localName(text.slice(lt + 2, gt - 1).trim());
      const element = open.pop();
      if (element === undefined || element.name !== name) {
        throw new Error(
          `malformed XML: </${name}> at ${lt} closes ${element ? `<${element.name}>` : 'nothing'}`,
        );
      }
      element.contentEnd = lt;
      element.end = gt;
      i = gt;
    } else {
      const gt = skipPast(text, lt, '>');
      const selfClosing = text[gt - 2] === '/';
      const name = localName(/^<([^\s/>]+)/.exec(text.slice(lt))?.[1] ?? '');
      const element: XmlElement = {
        name,
        start: lt,
        end: gt,
        contentStart: gt,
        contentEnd: gt,
        children: [],
      };
      (open.at(-1)?.children ?? roots).push(element);
      if (!selfClosing) open.push(element);
      i = gt;
    }
  }
  if (open.length > 0) throw new Error(`malformed XML: <${open.at(-1)?.name}> is never closed`);
  return roots;
}

function skipPast(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) throw new Error(`malformed XML: no "${terminator}" after offset ${from}`);
  return at + terminator.length;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** The direct children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Every element named `name` anywhere below (and including) the given ones, in document order. */
export function descendantsNamed(elements: readonly XmlElement[], name: string): XmlElement[] {
  return elements.flatMap((e) => [...(e.name === name ? [e] : []), ...descendantsNamed(e.children, name)]);
}

/** The unescaped text of the first direct child named `name`, if any. */
export function childText(text: string, element: XmlElement, name: string): string | undefined {
  const child = childrenNamed(element, name)[0];
  return child === undefined ? undefined : unescapeXml(text.slice(child.contentStart, child.contentEnd));
}

/** `text` without the given elements (ranges must not overlap). */
export function withoutElements(text: string, elements: readonly XmlElement[]): string {
  let result = text;
  for (const element of [...elements].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, element.start) + result.slice(element.end);
  }
  return result;
}
