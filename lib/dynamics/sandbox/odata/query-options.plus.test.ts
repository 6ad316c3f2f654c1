import { describe, expect, it } from 'vitest';
import { decodeQuery } from './query-options';

describe('decodeQuery', () => {
  it('reads a bare + as a space and %2B as a plus, as Dataverse does', () => {
    expect(decodeQuery("?$filter=lastname+eq+'Durand'&$select=a%2Bb")).toEqual([
      ['$filter', "lastname eq 'Durand'"],
      ['$select', 'a+b'],
    ]);
  });
});
