/**
 * The population register contract (folkbokföringen): what Medborg may ask about a person who has
 * signed in. An e-ID gives only a name and an identity number; address and children come from here.
 * Adapters implement this small interface (STYLE 4); the demo adapter is the reference one.
 */

export interface RegisteredAddress {
  street: string;
  /** Swedish postal code as written, e.g. "123 45". */
  postalCode: string;
  city: string;
  /** The four-digit municipality code (kommunkod) of the registered address. */
  municipalityCode: string;
  /** Where the address is (WGS 84, from the address register), when known: a queue's distance to a unit (ADR 0043). */
  position?: { lat: number; lon: number };
}

export interface RegisteredChild {
  /** Twelve digits, YYYYMMDDNNNC. */
  personalNumber: string;
  givenName: string;
  familyName: string;
  /** Full name as the register shows it. */
  name: string;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
}

export interface RegisteredPerson {
  personalNumber: string;
  givenName: string;
  familyName: string;
  name: string;
  address: RegisteredAddress;
  /** Children the person is custodian of, youngest last as the register lists them. */
  children: RegisteredChild[];
  /**
   * Protected identity (skyddad identitet, sekretessmarkering): the person's name, address and
   * number must never be shown to anyone else the platform serves (ADR 0016).
   */
  protected?: boolean;
}

/** Someone the register names in relation to another person: a custodian, a household member. */
export interface RelatedPerson {
  personalNumber: string;
  givenName: string;
  familyName: string;
  name: string;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
  /** Protected identity: never shown to others (see RegisteredPerson). */
  protected?: boolean;
}

export interface PopulationRegister {
  /** A short name for logs and configuration, e.g. "demo". */
  readonly name: string;
  /**
   * The person with this personal identity number, or undefined when the register has no such
   * person. tenantId says which municipality asks: real adapters use per-municipality agreements
   * and credentials. Throws AppError('POPULATION_REGISTER_UNAVAILABLE') when the register cannot
   * be asked at all.
   */
  lookup(tenantId: string, personalNumber: string): Promise<RegisteredPerson | undefined>;
  /**
   * The custodians (vårdnadshavare) of a child, as the register lists them; empty when the register
   * has no such child. Co-signing by the other custodian is built on this.
   */
  custodiansOf(tenantId: string, childPersonalNumber: string): Promise<RelatedPerson[]>;
  /**
   * The other people registered at the same address as this person (adults and children), not the
   * person themselves; empty when the register has no such person.
   */
  householdOf(tenantId: string, personalNumber: string): Promise<RelatedPerson[]>;
}
