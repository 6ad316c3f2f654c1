/**
 * JSONata 2.2's built-in functions, as the expression editor offers them in completion: the
 * name, a short signature in words (`?` marks an optional argument) and one line on what it
 * does. The list is JSONata's own library (what the runtime allows: docs/flow-document.md,
 * "Expressions"), `$clone` included; a test checks it against the functions jsonata really binds,
 * so an upgrade that adds or drops one fails there instead of drifting silently.
 */
export interface JsonataFunctionInfo {
  /** With the `$`: `$uppercase`. */
  name: string;
  /** The arguments in parentheses: `(str)`, `(str, start, length?)`. */
  signature: string;
  description: string;
}

const f = (name: string, signature: string, description: string): JsonataFunctionInfo => ({ name: `$${name}`, signature, description });

export const JSONATA_FUNCTIONS: readonly JsonataFunctionInfo[] = [
  // Text
  f('string', '(value, prettify?)', 'The value as text (objects and arrays as JSON).'),
  f('length', '(str)', 'The number of characters in a text.'),
  f('substring', '(str, start, length?)', 'Part of a text, from a position (negative counts from the end).'),
  f('substringBefore', '(str, chars)', 'The text before the first occurrence of chars.'),
  f('substringAfter', '(str, chars)', 'The text after the first occurrence of chars.'),
  f('uppercase', '(str)', 'The text in upper case.'),
  f('lowercase', '(str)', 'The text in lower case.'),
  f('trim', '(str)', 'The text without leading, trailing and repeated spaces.'),
  f('pad', '(str, width, char?)', 'The text padded to a width (negative pads on the left).'),
  f('contains', '(str, pattern)', 'Whether the text contains a text or matches a regular expression.'),
  f('split', '(str, separator, limit?)', 'The text split into an array at a text or regular expression.'),
  f('join', '(array, separator?)', 'The texts of an array joined into one.'),
  f('match', '(str, pattern, limit?)', 'The matches of a regular expression, with their groups and positions.'),
  f('replace', '(str, pattern, replacement, limit?)', 'The text with matches of a text or regular expression replaced.'),
  f('eval', '(expr, context?)', 'Evaluates a JSONata expression given as text.'),
  f('base64encode', '(str)', 'The text encoded as Base64.'),
  f('base64decode', '(str)', 'The text decoded from Base64.'),
  f('encodeUrlComponent', '(str)', 'The text encoded for use in a URL part.'),
  f('encodeUrl', '(str)', 'The text encoded as a full URL.'),
  f('decodeUrlComponent', '(str)', 'A URL part decoded.'),
  f('decodeUrl', '(str)', 'A full URL decoded.'),
  // Numbers
  f('number', '(value)', 'The value as a number (text, boolean or number).'),
  f('abs', '(number)', 'The absolute value.'),
  f('floor', '(number)', 'Rounded down to a whole number.'),
  f('ceil', '(number)', 'Rounded up to a whole number.'),
  f('round', '(number, precision?)', 'Rounded to a number of decimals (half to even).'),
  f('power', '(base, exponent)', 'The base raised to the exponent.'),
  f('sqrt', '(number)', 'The square root.'),
  f('random', '()', 'A random number between 0 (included) and 1 (excluded).'),
  f('formatNumber', '(number, picture, options?)', 'The number as text by a picture such as "#,##0.00".'),
  f('formatBase', '(number, radix?)', 'The number as text in another base (2 to 36).'),
  f('formatInteger', '(number, picture)', 'The whole number as text by a picture ("w" for words, "I" for Roman).'),
  f('parseInteger', '(str, picture)', 'Reads a whole number written by a picture.'),
  // Aggregation
  f('sum', '(array)', 'The sum of the numbers.'),
  f('max', '(array)', 'The largest number.'),
  f('min', '(array)', 'The smallest number.'),
  f('average', '(array)', 'The mean of the numbers.'),
  // Booleans
  f('boolean', '(value)', 'The value as true or false.'),
  f('not', '(value)', 'The opposite of the value as a boolean.'),
  f('exists', '(value)', 'Whether the value is there (selects something).'),
  // Arrays
  f('count', '(array)', 'The number of items.'),
  f('append', '(array1, array2)', 'The two arrays (or values) joined into one array.'),
  f('sort', '(array, before?)', 'The items sorted, optionally by a function($a, $b).'),
  f('reverse', '(array)', 'The items in the opposite order.'),
  f('shuffle', '(array)', 'The items in a random order.'),
  f('distinct', '(array)', 'The items without duplicates.'),
  f('zip', '(array1, …)', 'The arrays combined item by item into arrays.'),
  // Objects
  f('keys', '(object)', 'The names of the fields.'),
  f('lookup', '(object, key)', 'The value of a field by its name.'),
  f('spread', '(object)', 'The object split into one object per field.'),
  f('merge', '(array)', 'The objects of an array merged into one.'),
  f('sift', '(object, function)', 'The fields for which function($value, $key) is true.'),
  f('each', '(object, function)', 'The results of function($value, $key) for each field.'),
  f('error', '(message?)', 'Stops the expression with an error.'),
  f('assert', '(condition, message?)', 'Stops with an error when the condition is false.'),
  f('type', '(value)', 'The type of the value: "string", "number", "object", …'),
  f('clone', '(value)', 'A deep copy of an object or array.'),
  // Dates and times
  f('now', '(picture?, timezone?)', 'The current time as an ISO 8601 text.'),
  f('millis', '()', 'The current time in milliseconds since 1970.'),
  f('fromMillis', '(number, picture?, timezone?)', 'Milliseconds since 1970 as a date-time text.'),
  f('toMillis', '(timestamp, picture?)', 'A date-time text as milliseconds since 1970.'),
  // Higher-order
  f('map', '(array, function)', 'The results of function($value, $index) for each item.'),
  f('filter', '(array, function)', 'The items for which function($value, $index) is true.'),
  f('single', '(array, function?)', 'The one item that matches (an error if none or several).'),
  f('reduce', '(array, function, init?)', 'The items folded into one value by function($acc, $value).'),
];
