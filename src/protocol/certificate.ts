// A self-signed X.509 certificate for go-plugin's AutoMTLS, built with node:crypto alone.
//
// Terraform trusts exactly the certificate the plugin prints in its handshake line and dials with
// SNI "localhost", so what matters is: SAN DNS:localhost (Go ignores the CN), an EKU that includes
// serverAuth, and a validity that covers now. The other fields mirror go-plugin's own certificate.
// Writing the DER by hand (~3 ms) avoids an X.509 library that would cost far more at every start.
import { generateKeyPair, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export interface GeneratedCertificate {
  /** PEM of the certificate. */
  certPem: string;
  /** DER of the certificate. */
  certDer: Buffer;
  /** PKCS#8 PEM of the ECDSA P-256 private key. */
  keyPem: string;
}

export interface CertificateOptions {
  /** Defaults to the current time; NotBefore is 30 s earlier to tolerate clock skew. */
  now?: Date;
  /** Validity after `now`; go-plugin uses 262980 h (about 30 years). */
  validForHours?: number;
  commonName?: string;
  organization?: string;
  dnsNames?: string[];
}

// --- minimal DER writer ---------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const explicit = (tagNumber: number, content: Buffer) => tlv(0xa0 | tagNumber, content);
const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const booleanTrue = () => tlv(0x01, Buffer.from([0xff]));
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), content);

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded. */
function unsignedInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let bytes = magnitude.subarray(start);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime up to 2049, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, ''); // 20260102030405
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), booleanTrue(), octetString(value)) : sequence(oid(id), octetString(value));
}

function name(organization: string, commonName: string): Buffer {
  return sequence(
    set(sequence(oid(OID.organization), utf8String(organization))),
    set(sequence(oid(OID.commonName), utf8String(commonName))),
  );
}

// KeyUsage bits (RFC 5280): digitalSignature(0), keyEncipherment(2), keyAgreement(4), keyCertSign(5).
// Bit 0 is the most significant bit of the first byte; bits 6 and 7 are unused.
const KEY_USAGE = bitString(Buffer.from([0b10101100]), 2);

/** Generate a fresh ECDSA P-256 key and a self-signed certificate usable for both TLS server and client. */
export function generateCertificate(options: CertificateOptions = {}): GeneratedCertificate {
  return certify(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), options);
}

/** The same, with the key generated off the main thread (a warm server makes them between launches). */
export function generateCertificateAsync(options: CertificateOptions = {}): Promise<GeneratedCertificate> {
  return new Promise((resolve, reject) =>
    generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve(certify({ publicKey, privateKey }, options)),
    ),
  );
}

function certify({ privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject }, options: CertificateOptions): GeneratedCertificate {
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + (options.validForHours ?? 262_980) * 3_600_000);
  const subject = name(options.organization ?? 'HashiCorp', options.commonName ?? 'localhost');
  const dnsNames = options.dnsNames ?? ['localhost'];

  const spki = publicKey.export({ type: 'spki', format: 'der' });

  const serial = randomBytes(16); // positive 128-bit; a leading 0x00 is added when the top bit is set
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const extensions = sequence(
    extension(OID.keyUsage, true, KEY_USAGE),
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))),
    extension(OID.basicConstraints, true, sequence(booleanTrue())),
    extension(OID.subjectAltName, false, sequence(...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))))),
  );
  const tbsCertificate = sequence(
    explicit(0, tlv(0x02, Buffer.from([2]))), // version v3
    unsignedInteger(serial),
    signatureAlgorithm,
    subject, // issuer: self-signed
    sequence(time(notBefore), time(notAfter)),
    subject,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbsCertificate, { key: privateKey, dsaEncoding: 'der' });
  const certDer = sequence(tbsCertificate, signatureAlgorithm, bitString(signature));

  const base64Lines = certDer.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    certDer,
    certPem: `-----BEGIN CERTIFICATE-----\n${base64Lines}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
