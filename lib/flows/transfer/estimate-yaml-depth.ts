export interface YamlScan {
  /** Nesting, as estimated below. */
  depth: number;
  /** Line breaks and commas outside quotes and comments: about how many entries the parser will build. */
  entries: number;
}

/** The depth part of scanYaml. */
export function estimateYamlDepth(text: string): number {
  return scanYaml(text).depth;
}

/**
 * A quick upper-bound-ish estimate of how deeply a YAML (or JSON) text nests and how many entries it
 * holds, read in one pass without parsing: flow brackets where a collection can start (outside quotes and comments),
 * `- ` entries opening a line and levels of growing indentation. The YAML parser composes nested
 * collections recursively, so a megabyte of `[` would cost it seconds before the stack runs out;
 * this lets such a file be refused first. Pathological plain text (hundreds of unbalanced brackets
 * in unquoted values) can only make the estimate higher, which is why its caller allows far more
 * than a flow ever needs.
 *
 * @example scanYaml('a: { b: [1, 2] }') // { depth: 3, entries: 1 }
 */
export function scanYaml(text: string): YamlScan {
  let entries = 0;
  let flow = 0;
  let deepest = 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  let blockDepth = 0;
  let inDouble = false;
  let inSingle = false;
  let inComment = false;
  /** The previous significant character: a collection or quoted scalar can start after one of `\n [ { , : - ?`. */
  let prev = '\n';
  let prevWasSpace = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      if (c === '\n' && !inDouble && !inSingle) entries++;
      if (inDouble || inSingle) continue;
      inComment = false;
      lineStart = true;
      indent = 0;
      dashes = 0;
      prev = '\n';
      prevWasSpace = true;
      continue;
    }
    if (inComment) continue;
    if (inDouble) {
      if (c === '\\') i++;
      else if (c === '"') inDouble = false;
      continue;
    }
    if (inSingle) {
      if (c === "'") {
        if (text[i + 1] === "'") i++;
        else inSingle = false;
      }
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (lineStart) indent++;
      prevWasSpace = true;
      continue;
    }
    if (lineStart && flow === 0) {
      // A block line's depth: the levels of indentation open above it, plus its leading `- ` entries.
      if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === text.length)) {
        dashes++;
        prev = '-';
        prevWasSpace = false;
        continue;
      }
      if (c !== '#') {
        while (indents.length && indents[indents.length - 1]! >= indent + dashes * 2) indents.pop();
        indents.push(indent + dashes * 2);
        blockDepth = indents.length + dashes;
      }
      lineStart = false;
    }
    lineStart = false;
    const canStart = prev === '\n' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '-' || prev === '?';
    if (c === '#' && prevWasSpace) {
      inComment = true;
    } else if ((c === '[' || c === '{') && canStart) {
      flow++;
      deepest = Math.max(deepest, blockDepth + flow);
      prev = c;
    } else if (c === ',' && flow > 0) {
      entries++;
      prev = ',';
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
      prev = 'x';
    } else if (c === '"' && canStart) {
      inDouble = true;
      prev = 'x';
    } else if (c === "'" && canStart) {
      inSingle = true;
      prev = 'x';
    } else {
      prev = c === ',' || c === ':' || c === '?' || (c === '-' && prevWasSpace) ? c : 'x';
    }
    prevWasSpace = false;
    deepest = Math.max(deepest, blockDepth + flow);
  }
  return { depth: deepest, entries };
}
