import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh test CA and a certificate it signed, with EC P-256 keys (fast to make). */
export function makeCertificates(dir: string, name: string, subjectAltName = 'IP:127.0.0.1,DNS:localhost'): TestCertificates {
  const ca = join(dir, `${name}-ca`);
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    `${ca}.key`,
    '-out',
    `${ca}.pem`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const leaf = join(dir, name);
  openssl(
    dir,
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${leaf}.key`,
    '-out',
    `${leaf}.csr`,
  );
  writeFileSync(
    `${leaf}.ext`,
    `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n`,
  );
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${leaf}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${leaf}.ext`,
    '-out',
    `${leaf}.pem`,
  );
  return { caFile: `${ca}.pem`, certFile: `${leaf}.pem`, keyFile: `${leaf}.key` };
}

/** The DER bytes of a PEM certificate, base64 (as JWS `x5c` wants them). */
export function certificateBase64(certFile: string): string {
  return readFileSync(certFile, 'utf8')
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
}
