import { describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../../../app/core/vault/ftsQuery.ts';

describe('toFtsQuery', () => {
  it('quotes every word, requires all, and prefix-matches the last', () => {
    expect(toFtsQuery('cough')).toBe('"cough"*');
    expect(toFtsQuery('  chest   pain ')).toBe('"chest" "pain"*');
  });
  it('makes FTS syntax inert', () => {
    expect(toFtsQuery('cough" OR "x')).toBe('"cough" "OR" "x"*');
    expect(toFtsQuery('NEAR(a b) -c ^d title:e')).toBe('"NEAR" "a" "b" "c" "d" "title" "e"*');
  });
  it('returns null when there is nothing to search for', () => {
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery(' "" ** () ')).toBeNull();
  });
  it('normalises to NFC, so a decomposed accent matches the composed one', () => {
    expect(toFtsQuery('Zoe\u0308')).toBe(toFtsQuery('Zoë'));
  });
});
