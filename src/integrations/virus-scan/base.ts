/**
 * The virus-scanner contract. Every uploaded file passes a scanner before anything else looks at
 * its content (its type, its name), and a file the scanner does not call clean is never stored.
 */
export type ScanVerdict = { clean: true } | { clean: false; signature: string };

export interface VirusScanner {
  /** For logs and the health of the installation, e.g. "demo", "clamd". */
  readonly name: string;
  /**
   * Scans the bytes. Throws AppError('VIRUS_SCANNER_UNAVAILABLE') when the scanner cannot give a
   * verdict (not configured, not answering, timed out): an unscanned file is refused, never let through.
   */
  scan(data: Buffer): Promise<ScanVerdict>;
}
