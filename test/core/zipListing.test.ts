import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { zipEntryContent, zipListing } from '../../src/artifact/zipListing';

/** One deflated entry whose directory declares `declared` bytes, as a truthful or lying zip tool would write it. */
function oneEntryZip(name: string, content: Buffer, declared = content.length): Buffer {
  const data = deflateRawSync(content);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE(8, 10);
  entry.writeUInt32LE(crc32(content), 16);
  entry.writeUInt32LE(data.length, 20);
  entry.writeUInt32LE(declared, 24);
  entry.writeUInt16LE(nameBytes.length, 28);
  const directory = Buffer.concat([entry, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(30 + nameBytes.length + data.length, 16);
  return Buffer.concat([local, nameBytes, data, directory, end]);
}

describe('zip packages (OpenTofu modules) read by their central directory', () => {
  test('a deflated file is listed with its size and inflates to its content', () => {
    const zip = oneEntryZip('main.tf', Buffer.from('variable "name" {}\n'));
    const [entry] = zipListing(zip);
    assert.deepEqual({ path: entry.path, size: entry.size }, { path: 'main.tf', size: 19 });
    assert.equal(zipEntryContent(zip, entry, 1024).toString(), 'variable "name" {}\n');
  });

  test('a file that inflates past the size its directory declares is refused, not inflated on', () => {
    const zip = oneEntryZip('bomb.tf', Buffer.alloc(1024 * 1024), 100);
    assert.throws(() => zipEntryContent(zip, zipListing(zip)[0], 10 * 1024 * 1024), /does not inflate to its declared size/);
  });

  test('a file declared larger than the limit is refused before it is inflated', () => {
    const zip = oneEntryZip('big.tf', Buffer.alloc(4096));
    assert.throws(() => zipEntryContent(zip, zipListing(zip)[0], 1000), /more than the 1000-byte limit/);
  });

  test('bytes that are not a zip say so', () => {
    assert.throws(() => zipListing(Buffer.from('not a zip at all, just some text that is long enough')), /not a zip archive/);
  });
});
