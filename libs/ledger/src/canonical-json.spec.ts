import fc from 'fast-check';
import { canonicalize } from './canonical-json';

/** A double from its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('matches the RFC 8785 §3.2.2 example', () => {
    const input = {
      numbers: [Number('333333333.33333329'), 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double 0x%s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it('serializes the usual suspects like ECMAScript', () => {
    expect(canonicalize([1e21, 1e-7, -0, 0.1 + 0.2, 100, 1.5e300])).toBe(
      '[1e+21,1e-7,0,0.30000000000000004,100,1.5e+300]',
    );
  });

  it.each([NaN, Infinity, -Infinity, fromBits('7fffffffffffffff'), fromBits('7ff0000000000000')])(
    'throws on the non-finite number %p',
    (n) => {
      expect(() => canonicalize({ n })).toThrow(/non-finite/);
    },
  );

  it('throws on BigInt, functions, symbols and undefined array elements', () => {
    expect(() => canonicalize({ a: BigInt(1) })).toThrow(/bigint/);
    expect(() => canonicalize({ a: () => 1 })).toThrow(/function/);
    expect(() => canonicalize([Symbol('x')])).toThrow(/symbol/);
    expect(() => canonicalize([1, undefined])).toThrow(/index 1/);
    expect(() => canonicalize(undefined)).toThrow(/undefined/);
  });

  it('omits object properties whose value is undefined, keeps null', () => {
    expect(canonicalize({ b: undefined, a: null, c: 1 })).toBe('{"a":null,"c":1}');
  });

  it('applies toJSON once, like JSON.stringify (Date → ISO string)', () => {
    const when = new Date('2025-01-02T03:04:05.678Z');
    expect(canonicalize({ when })).toBe('{"when":"2025-01-02T03:04:05.678Z"}');
    const keyed = { toJSON: (key: string) => `key=${key}` };
    expect(canonicalize({ x: keyed, y: [keyed] })).toBe('{"x":"key=x","y":["key=0"]}');
    const nested = { toJSON: () => ({ z: 1, a: { toJSON: () => 'inner' } }) };
    expect(canonicalize(nested)).toBe('{"a":"inner","z":1}');
  });

  it('unwraps boxed primitives', () => {
    // Object(x) boxes a primitive, as new Number(1) / new String('s') would.
    expect(canonicalize([Object(1), Object('s'), Object(false)])).toBe('[1,"s",false]');
  });

  it('escapes strings exactly as JSON.stringify, including lone surrogates', () => {
    const samples = ['plain', 'quote " and \\ backslash', '\u0000\u001f\u007f', '\ud800', 'a\udc00b', '😀', '\u2028\u2029'];
    for (const s of samples) {
      expect(canonicalize(s)).toBe(JSON.stringify(s));
      expect(canonicalize({ [s]: 1 })).toBe(`{${JSON.stringify(s)}:1}`);
    }
  });

  it('has no whitespace and handles empty containers and nesting', () => {
    expect(canonicalize({ z: [], y: {}, x: [{ b: 1, a: [2, { d: 3, c: 4 }] }] })).toBe(
      '{"x":[{"a":[2,{"c":4,"d":3}],"b":1}],"y":{},"z":[]}',
    );
  });

  it('rejects cycles but accepts shared (acyclic) references', () => {
    const shared = { a: 1 };
    expect(canonicalize({ p: shared, q: shared })).toBe('{"p":{"a":1},"q":{"a":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/cyclic/);
  });

  it('round-trips: parse(canonicalize(x)) deep-equals x, and is independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalize(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).reverse())
            : v,
        ) as unknown;
        expect(canonicalize(reversed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
