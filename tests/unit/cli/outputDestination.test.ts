import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputDestination, isInside } from '../../../app/cli/outputDestination.ts';
import { cleanupTempDirs, tempDir } from '../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

describe('--out destinations', () => {
  it('accepts a new file in an existing folder and returns its absolute path', () => {
    const dir = tempDir('lifeboat-out-');
    expect(checkOutputDestination(join(dir, 'x.json'), { private: true })).toBe(join(dir, 'x.json'));
  });

  it('refuses a folder, a missing folder and a file standing where the folder should be, with what to do', () => {
    const dir = tempDir('lifeboat-out-');
    expect(() => checkOutputDestination(dir, { private: false })).toThrow(/--out names a folder .*give a file name inside it/);
    expect(() => checkOutputDestination(join(dir, 'nope', 'x.json'), { private: false })).toThrow(/\(.*nope\) does not exist; check the path/);
  });

  it('on Windows, keeps a private export inside the user profile (the folder ACL is what protects it there)', () => {
    const env = { USERPROFILE: 'C:\\Users\\gp' };
    const refuse = /only inside your own profile folder/;
    expect(isInside('C:\\Users\\gp\\Documents\\drafts.json', 'C:\\Users\\gp')).toBe(true);
    expect(isInside('c:\\users\\GP\\drafts.json', 'C:\\Users\\gp\\')).toBe(true);
    expect(isInside('C:\\Users\\gp2\\drafts.json', 'C:\\Users\\gp')).toBe(false);
    expect(isInside('C:\\Users\\Public\\drafts.json', 'C:\\Users\\gp')).toBe(false);
    expect(isInside('\\\\server\\share\\drafts.json', 'C:\\Users\\gp')).toBe(false);
    expect(isInside('C:\\Users\\gp\\..\\Public\\drafts.json', 'C:\\Users\\gp')).toBe(false);
    expect(() => checkOutputDestination('C:\\Users\\Public\\drafts.json', { private: true, platform: 'win32', env })).toThrow(refuse);
    expect(() => checkOutputDestination('C:\\Temp\\drafts.json', { private: true, platform: 'win32', env: {} })).toThrow(refuse);
  });
});
