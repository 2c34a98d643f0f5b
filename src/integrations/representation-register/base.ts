/**
 * The representation register contract: who may act for whom. A god man or förvaltare is appointed
 * by the district court and registered by the överförmyndare (föräldrabalken 11 kap., 19 kap.);
 * a power of attorney (fullmakt) is registered where the municipality keeps them. Medborg asks it
 * only about the signed-in resident, and decides itself whether a representation holds for a
 * service on a day (forms/representation.tsx): the register answers with every representation it
 * knows, ended ones too, so a page can say why one cannot be used.
 */

/** God man (11 kap. 4 §), förvaltare (11 kap. 7 §) or an ordinary power of attorney. */
export type RepresentationKind = 'godman' | 'forvaltare' | 'fullmakt';
export const REPRESENTATION_KINDS: readonly RepresentationKind[] = ['godman', 'forvaltare', 'fullmakt'];

export interface Representation {
  kind: RepresentationKind;
  /** The representative's personal identity number (twelve digits). */
  representative: string;
  /** The person represented (huvudman, fullmaktsgivare). */
  represented: { personalNumber: string; name: string };
  /** ISO date the representation starts. */
  from: string;
  /** ISO date of its last day; absent: until further notice. */
  until?: string | undefined;
  /**
   * What a power of attorney covers: areas of the service list (SKL's, `elderly-care`) or service
   * ids; absent: everything the represented person may apply for. An appointment's scope is the court's
   * (bevaka rätt, förvalta egendom, sörja för person) and covers applying for them.
   */
  scope?: readonly string[] | undefined;
}

export interface RepresentationRegister {
  /** A short name for logs and configuration, e.g. "demo". */
  readonly name: string;
  /**
   * Every representation this person holds, ended ones included. Throws
   * AppError('REPRESENTATION_REGISTER_UNAVAILABLE') when the register cannot be asked.
   */
  representedBy(tenantId: string, representativePersonalNumber: string): Promise<Representation[]>;
}
