import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OciClient } from '../../oci';
import type { PackageWriteGrant } from '../cloudSignIn/packageWriteGrant';
import { generateCosignKeyPair, generateTestCertificate, refuseKeyFileLinks, writeKeyFile, writeNotationTrustFolder } from '../../signing';
import { passwordSecretKey, readSigningSettings, updateSigningSettings } from './signingSettings';

export interface SigningDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
}

/** What the signing commands write with: the client, and the offer of write:packages when GitHub refused. */
export interface RegistryWrites {
  client: OciClient;
  grantWrite: PackageWriteGrant;
}

async function pickFolder(title: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: 'Write Here',
  });
  return picked?.[0]?.fsPath;
}

async function confirmOverwrite(paths: string[]): Promise<boolean> {
  const existing = paths.filter((p) => existsSync(p));
  if (existing.length === 0) return true;
  const answer = await vscode.window.showWarningMessage(
    `Replace ${existing.map((p) => p.split(/[\\/]/).pop()).join(' and ')}?`,
    { modal: true, detail: `${existing.join('\n')}\n\nAnything signed with the old key will no longer verify with the new one.` },
    'Replace',
  );
  return answer === 'Replace';
}

/** "Generate Signing Key Pair…": cosign.key (0600) + cosign.pub; the password is asked twice and kept only if the user asks. */
export async function generateKeyPairCommand(deps: SigningDeps): Promise<void> {
  const folder = await pickFolder('Folder for cosign.key and cosign.pub');
  if (!folder) return;
  const keyPath = join(folder, 'cosign.key');
  const pubPath = join(folder, 'cosign.pub');
  refuseKeyFileLinks([keyPath, pubPath]);
  if (!(await confirmOverwrite([keyPath, pubPath]))) return;
  const password = await vscode.window.showInputBox({
    title: 'Password for cosign.key',
    prompt: 'Encrypts the private key (cosign asks for it when signing; COSIGN_PASSWORD in CI)',
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return;
  const again = await vscode.window.showInputBox({
    title: 'Repeat the password',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v === password ? undefined : 'The passwords differ'),
  });
  if (again !== password) return;
  const pair = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Generating cosign key pair…' },
    () => generateCosignKeyPair(password),
  );
  warnUnprotected(writeKeyFile(keyPath, pair.privateKeyPem, 0o600));
  writeKeyFile(pubPath, pair.publicKeyPem, 0o644);
  const settings = readSigningSettings();
  await updateSigningSettings({ cosignKey: keyPath, cosignPublicKeys: [...new Set([...settings.cosignPublicKeys, pubPath])] });
  deps.log.info(`Wrote cosign key pair ${keyPath} and ${pubPath}`);
  const remember = await vscode.window.showInformationMessage(
    `Key pair written: ${pubPath} verifies what cosign.key signs. Remember the password in VS Code's secret storage?`,
    'Remember Password',
    'Ask Each Time',
  );
  if (remember === 'Remember Password') await deps.context.secrets.store(passwordSecretKey(keyPath), password);
}

/** "Generate Test Certificate…": a Notary Project test certificate, its key, and a notation/Flux trust folder. */
export async function generateTestCertificateCommand(deps: SigningDeps): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: 'Test certificate name',
    prompt: 'Common name of the self-signed code-signing certificate (like notation cert generate-test)',
    value: 'oci-gitops.test',
    validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v) ? undefined : "Use letters, digits, '.', '_' or '-'"),
  });
  if (!name) return;
  const folder = await pickFolder('Folder for the key, certificate and trust folder');
  if (!folder) return;
  const keyPath = join(folder, `${name}.key`);
  const certPath = join(folder, `${name}.crt`);
  const trustDir = join(folder, 'notation-trust');
  if (!(await confirmOverwrite([keyPath, certPath]))) return;
  refuseKeyFileLinks([keyPath, certPath]);
  const cert = generateTestCertificate({ commonName: name });
  warnUnprotected(writeKeyFile(keyPath, cert.privateKeyPem, 0o600));
  writeKeyFile(certPath, cert.certificatePem, 0o644);
  mkdirSync(trustDir, { recursive: true });
  const files = writeNotationTrustFolder(trustDir, name, cert.certificatePem);
  await updateSigningSettings({ notationKey: keyPath, notationCertificate: certPath, notationTrust: trustDir });
  deps.log.info(
    `Wrote notation test certificate ${certPath} (${cert.subject}), key ${keyPath}, trust folder ${trustDir}: ${files.join(', ')}`,
  );
  void vscode.window.showInformationMessage(
    `Test certificate ${name} written. ${trustDir} holds trustpolicy.json and ${name}.pem for a Flux Secret, and truststore/ for notation.`,
  );
}

/** A private key Windows could not limit to the user is said so, not left silently readable. */
function warnUnprotected(warning: string | undefined): void {
  if (warning) void vscode.window.showWarningMessage(warning);
}
