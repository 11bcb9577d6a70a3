/**
 * A tiny XML well-formedness check for the picture tests: balanced tags, quoted attributes,
 * no stray '<' or unescaped '&' in text or attribute values, one root element.
 */
export interface XmlInfo {
  root: string;
  /** Number of elements by tag name. */
  counts: Record<string, number>;
  /** Text content of every element with tag `text` or `title`, in order. */
  texts: string[];
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function checkText(s: string, where: string): void {
  if (s.includes('<')) throw new Error(`raw '<' in ${where}: ${s.slice(0, 60)}`);
  if (s.replace(ENTITY, '').includes('&')) throw new Error(`unescaped '&' in ${where}: ${s.slice(0, 60)}`);
}

/** Parses `xml` enough to prove it is well formed; throws an Error saying what is wrong. */
export function checkXml(xml: string): XmlInfo {
  const stack: string[] = [];
  const counts: Record<string, number> = {};
  const texts: string[] = [];
  let root = '';
  let i = 0;
  const acc: string[] = [];
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const chunk = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (chunk) {
      if (!stack.length && chunk.trim()) throw new Error(`text outside the root: ${chunk.slice(0, 40)}`);
      checkText(chunk, 'text');
      if (acc.length) acc[acc.length - 1] += chunk;
    }
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('!--') || tag.startsWith('?') || tag.startsWith('!')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      const t = acc.pop() ?? '';
      if (name === 'text' || name === 'title') texts.push(t);
      continue;
    }
    const self = tag.endsWith('/');
    const body = self ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*$/.exec(body);
    if (!m) throw new Error(`malformed tag <${tag.slice(0, 80)}>`);
    const name = m[1];
    for (const a of m[2].matchAll(/([\w:-]+)="([^"]*)"/g)) checkText(a[2], `attribute ${a[1]} of <${name}>`);
    const names = Array.from(m[2].matchAll(/([\w:-]+)="/g), (a) => a[1]);
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute in <${name}>`);
    if (!root) root = name;
    else if (!stack.length) throw new Error(`second root element <${name}>`);
    counts[name] = (counts[name] ?? 0) + 1;
    if (!self) {
      stack.push(name);
      acc.push('');
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!root) throw new Error('no element');
  return { root, counts, texts };
}
