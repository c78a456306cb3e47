import { digest, hashFromHex, isHashAlgorithm, isHashHex } from './hash';

describe('digest', () => {
  it('computes SM3 (GB/T 32905 example 1: "abc")', () => {
    expect(digest('sm3', 'abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('computes SM3 (GB/T 32905 example 2: "abcd" × 16)', () => {
    expect(digest('sm3', 'abcd'.repeat(16)).toString('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('computes SHA-256 and hashes the concatenation of mixed chunks', () => {
    expect(digest('sha256', 'abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(digest('sha256', 'a', Buffer.from('b'), new Uint8Array([0x63]))).toEqual(digest('sha256', 'abc'));
    expect(digest('sha256').toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes strings as UTF-8', () => {
    expect(digest('sm3', '督办')).toEqual(digest('sm3', Buffer.from('督办', 'utf8')));
  });
});

describe('hash helpers', () => {
  it('parses exactly 64 hex characters and nothing else', () => {
    const hex = 'ab'.repeat(32);
    expect(hashFromHex(hex)).toEqual(Buffer.alloc(32, 0xab));
    expect(isHashHex(hex.toUpperCase())).toBe(true);
    for (const bad of ['ab'.repeat(31), 'ab'.repeat(33), `${'ab'.repeat(31)}zz`, '', 42]) {
      expect(isHashHex(bad)).toBe(false);
    }
    expect(() => hashFromHex(`${'ab'.repeat(31)}zz`, 'prevHash')).toThrow(/prevHash/);
  });

  it('recognizes the supported algorithms', () => {
    expect(isHashAlgorithm('sha256')).toBe(true);
    expect(isHashAlgorithm('sm3')).toBe(true);
    expect(isHashAlgorithm('md5')).toBe(false);
  });
});
