import { fingerprintOf, newDataKey, openField, sealField, SealBrokenError, unwrapDataKey, wrapDataKey } from './personal-data.cipher';

describe('sealing personal data (AES-256-GCM, bound to subject and field)', () => {
  const key = newDataKey();

  it('opens what it sealed, Chinese text included, and never shows the plaintext', () => {
    const sealed = sealField(key, 's-1', 'name', '张三丰');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('张三丰');
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('utf8')).not.toContain('张三丰');
    expect(openField(key, 's-1', 'name', sealed)).toBe('张三丰');
  });

  it('gives a different ciphertext each time (fresh nonce), so equal values cannot be matched', () => {
    expect(sealField(key, 's-1', 'idNumber', '11010519491231002X')).not.toBe(sealField(key, 's-1', 'idNumber', '11010519491231002X'));
  });

  it('refuses another key, another subject, another field, and any altered byte', () => {
    const sealed = sealField(key, 's-1', 'phone', '13800138000');
    expect(() => openField(newDataKey(), 's-1', 'phone', sealed)).toThrow(SealBrokenError);
    expect(() => openField(key, 's-2', 'phone', sealed)).toThrow(SealBrokenError);
    expect(() => openField(key, 's-1', 'name', sealed)).toThrow(SealBrokenError);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 12, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at] = (altered[at] ?? 0) ^ 1;
      expect(() => openField(key, 's-1', 'phone', `v1.${altered.toString('base64url')}`)).toThrow(SealBrokenError);
    }
    expect(() => openField(key, 's-1', 'phone', sealed.replace('v1.', 'v2.'))).toThrow(SealBrokenError);
    expect(() => openField(key, 's-1', 'phone', 'v1.AAAA')).toThrow(SealBrokenError);
  });

  it('wraps a data key under the master key for one subject only', () => {
    const master = newDataKey();
    const wrapped = wrapDataKey(master, 's-1', key);
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapDataKey(master, 's-1', wrapped).equals(key)).toBe(true);
    expect(() => unwrapDataKey(newDataKey(), 's-1', wrapped)).toThrow(SealBrokenError);
    expect(() => unwrapDataKey(master, 's-2', wrapped)).toThrow(SealBrokenError);
  });
});

describe('fingerprints of texts that may hold personal data', () => {
  it('are equal for equal texts under one master key, and say nothing to whoever lacks it', () => {
    const master = newDataKey();
    const body = '{"petitioner":{"idNumber":"11010519491231002X","name":"张三"}}';
    expect(fingerprintOf(master, body)).toBe(fingerprintOf(master, body));
    expect(fingerprintOf(master, body)).not.toBe(fingerprintOf(master, body.replace('张三', '李四')));
    expect(fingerprintOf(newDataKey(), body)).not.toBe(fingerprintOf(master, body));
    expect(fingerprintOf(master, body)).toMatch(/^[0-9a-f]{64}$/);
  });
});
