/**
 * The demo scanner: finds the EICAR anti-virus test file, the string every scanner recognises so that
 * a scanning pipeline can be tested without real malware (eicar.org). Anything else is clean. It is
 * refused in production (registry.ts): it finds nothing real.
 */
import type { ScanVerdict, VirusScanner } from './base.ts';

/** The 68 characters of the EICAR test file (split so that this source file is not itself flagged). */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$' + 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

const signature = Buffer.from(EICAR, 'latin1');

export class DemoVirusScanner implements VirusScanner {
  readonly name = 'demo';

  async scan(data: Buffer): Promise<ScanVerdict> {
    // The standard lets the file start with the string and be followed by whitespace only; scanners
    // in practice find it anywhere in the first part of a file. Find it anywhere, as they do.
    return data.includes(signature) ? { clean: false, signature: 'Eicar-Test-Signature' } : { clean: true };
  }
}
