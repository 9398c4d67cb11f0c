import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { generateCertificate } from '../../src/protocol/certificate';

t.test('self-signed ECDSA P-256 certificate for localhost', async (t) => {
  const now = new Date('2026-03-01T12:00:00Z');
  const { certDer, certPem, keyPem } = generateCertificate({ now });
  const cert = new X509Certificate(certDer);
  t.equal(cert.subject, 'O=HashiCorp\nCN=localhost');
  t.equal(cert.issuer, cert.subject);
  t.equal(cert.subjectAltName, 'DNS:localhost');
  t.ok(cert.ca, 'CA:TRUE');
  t.same(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'EKU serverAuth + clientAuth');
  t.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  t.equal(new Date(cert.validFrom).toISOString(), '2026-03-01T11:59:30.000Z', 'NotBefore 30 s in the past');
  t.ok(new Date(cert.validTo).getUTCFullYear() >= 2056, 'NotAfter after 2050 uses GeneralizedTime');
  t.ok(cert.verify(cert.publicKey), 'signature verifies');
  t.equal(new X509Certificate(certPem).fingerprint256, cert.fingerprint256, 'PEM and DER agree');
  t.ok(cert.checkPrivateKey(require('node:crypto').createPrivateKey(keyPem)), 'key matches');
});

/** Tag, content offset and content length of the DER element at `offset`. */
function element(der: Buffer, offset: number): { tag: number; start: number; length: number } {
  const first = der[offset + 1]!;
  if (first < 0x80) return { tag: der[offset]!, start: offset + 2, length: first };
  const n = first & 0x7f;
  return { tag: der[offset]!, start: offset + 2 + n, length: der.readUIntBE(offset + 2, n) };
}

t.test('serials are random, positive and minimally encoded', async (t) => {
  const serials = new Set<string>();
  for (let i = 0; i < 32; i++) {
    const der = generateCertificate().certDer;
    const tbs = element(der, element(der, 0).start);
    const version = element(der, tbs.start);
    const serial = element(der, version.start + version.length);
    t.equal(serial.tag, 0x02, 'INTEGER');
    const bytes = der.subarray(serial.start, serial.start + serial.length);
    t.ok(bytes[0]! < 0x80, 'positive');
    t.ok(bytes.length <= 17);
    t.notOk(bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80, 'no superfluous leading zero');
    serials.add(bytes.toString('hex'));
  }
  t.equal(serials.size, 32);
});
