/**
 * A small, safe XML parser for FetchXML: elements, attributes, text and CDATA; comments and a
 * leading `<?xml …?>` declaration are skipped. No DTDs, no entity declarations (only the five
 * predefined entities and numeric character references), no external anything. One pass over the
 * input with bounded size, depth and element count, so a hostile query costs at most linear time.
 *
 * Learn: https://learn.microsoft.com/power-apps/developer/data-platform/fetchxml/overview
 */
export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlElement[];
  /** concatenated character data directly inside this element */
  text: string;
}

export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxChars: 64 * 1024, maxDepth: 32, maxElements: 5_000 };

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  if (!s.includes('&')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const amp = s.indexOf('&', i);
    if (amp < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, amp);
    const semi = s.indexOf(';', amp);
    if (semi < 0 || semi - amp > 12) throw new XmlSyntaxError(`An entity reference is not terminated at position ${at + amp}.`, at + amp);
    const ref = s.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.startsWith('#x') && /^#x[0-9a-fA-F]{1,6}$/.test(ref)) ch = codePoint(parseInt(ref.slice(2), 16), at + amp);
    else if (ref.startsWith('#') && /^#\d{1,7}$/.test(ref)) ch = codePoint(parseInt(ref.slice(1), 10), at + amp);
    else ch = PREDEFINED[ref];
    if (ch === undefined) throw new XmlSyntaxError(`Reference to undeclared entity '${ref}' at position ${at + amp}.`, at + amp);
    out += ch;
    i = semi + 1;
  }
  return out;
}

function codePoint(n: number, at: number): string {
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
    throw new XmlSyntaxError(`Invalid character reference at position ${at}.`, at);
  return String.fromCodePoint(n);
}

/** Parses one document; throws XmlSyntaxError with a position on the first problem. */
export function parseXml(input: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  if (input.length > limits.maxChars) throw new XmlSyntaxError(`The XML is longer than ${limits.maxChars} characters.`, limits.maxChars);
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let i = 0;
  let elements = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (msg: string, at = i): never => {
    throw new XmlSyntaxError(`${msg} at position ${at}.`, at);
  };
  const skipSpace = (): void => {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(s);
    if (!m) return fail('A name was expected');
    i += m[0].length;
    return m[0];
  };

  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const textEnd = lt < 0 ? s.length : lt;
    if (textEnd > i) {
      const raw = s.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, i);
      else if (raw.trim()) fail('Text is not allowed outside the root element');
      i = textEnd;
      if (lt < 0) break;
    }
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) fail('A comment is not closed');
      i = end + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', i)) {
      const top = stack[stack.length - 1];
      if (!top) fail('CDATA is not allowed outside the root element');
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) fail('A CDATA section is not closed');
      (top as XmlElement).text += s.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (s.startsWith('<!', i)) fail('DTDs and declarations are not allowed');
    if (s.startsWith('<?', i)) {
      if (i !== 0 || !s.startsWith('<?xml', i)) fail('Processing instructions are not allowed');
      const end = s.indexOf('?>', i);
      if (end < 0) fail('The XML declaration is not closed');
      i = end + 2;
      continue;
    }
    if (s.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (s[i] !== '>') fail(`'>' was expected after '</${name}'`);
      i++;
      const open = stack.pop();
      if (!open) fail(`The end tag '${name}' has no start tag`);
      if ((open as XmlElement).name !== name) fail(`The '${(open as XmlElement).name}' start tag does not match the end tag of '${name}'`);
      continue;
    }
    // start tag
    i++;
    const name = readName();
    if (root && stack.length === 0) fail('There are multiple root elements');
    if (++elements > limits.maxElements) fail(`The XML has more than ${limits.maxElements} elements`);
    const el: XmlElement = { name, attrs: new Map(), children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      const c = s[i];
      if (c === '>' || c === '/') break;
      if (c === undefined) fail(`The start tag '${name}' is not closed`);
      if (i === before) fail(`Whitespace is expected between attributes of '${name}'`);
      const attr = readName();
      skipSpace();
      if (s[i] !== '=') fail(`'=' was expected after the attribute '${attr}'`);
      i++;
      skipSpace();
      const q = s[i];
      if (q !== '"' && q !== "'") fail(`A quoted value was expected for the attribute '${attr}'`);
      const end = s.indexOf(q as string, i + 1);
      if (end < 0) fail(`The value of the attribute '${attr}' is not closed`);
      const raw = s.slice(i + 1, end);
      if (raw.includes('<')) fail(`'<' is not allowed in the value of the attribute '${attr}'`);
      if (el.attrs.has(attr)) fail(`The attribute '${attr}' appears twice on '${name}'`);
      el.attrs.set(attr, decodeEntities(raw, i + 1));
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (s[i] === '/') {
      if (s[i + 1] !== '>') fail(`'>' was expected after '/' in '${name}'`);
      i += 2;
    } else {
      i++;
      stack.push(el);
      if (stack.length > limits.maxDepth) fail(`The XML is nested deeper than ${limits.maxDepth} levels`);
    }
  }
  if (stack.length) fail(`The element '${(stack[stack.length - 1] as XmlElement).name}' is not closed`, s.length);
  if (!root) fail('The XML has no root element', 0);
  return root as XmlElement;
}
