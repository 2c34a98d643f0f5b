/**
 * The contracts of the registers other than the population register (that one lives in
 * ../population-register): the business register (bolagsverket), the property register
 * (fastighetsregistret) and the vehicle register (vägtrafikregistret). Each is a small interface
 * an adapter implements; the demo adapters are the reference ones. Every method takes the tenant
 * that asks: real adapters use per-municipality agreements and credentials. A method throws
 * AppError('<KIND>_REGISTER_UNAVAILABLE') when the register cannot be asked at all; the registry
 * wraps every adapter so a slow or crashing one gives that error too (registry.ts).
 */

export interface PostalAddress {
  street: string;
  /** Swedish postal code as written, e.g. "123 45". */
  postalCode: string;
  city: string;
}

export type OrganisationKind = 'company' | 'association';

export interface Organisation {
  /** Ten digits, NNNNNNNNNC (organisationsnummer), without the hyphen. */
  organisationNumber: string;
  name: string;
  /** The legal form's short name as the register writes it: "AB", "HB", "EF", "Ideell förening". */
  form: string;
  kind: OrganisationKind;
  address: PostalAddress;
}

export interface Signatory {
  personalNumber: string;
  name: string;
  /** The role the register gives (styrelseledamot, ordförande, bolagsman, …). */
  role: string;
  /** True when this person may sign for the organisation alone; false: only together with another signatory. */
  alone: boolean;
}

export interface BusinessRegister {
  readonly name: string;
  /** The organisation with this number (ten digits), or undefined. */
  organisation(tenantId: string, organisationNumber: string): Promise<Organisation | undefined>;
  /** The persons with signatory right for the organisation; empty when there is no such organisation. */
  signatories(tenantId: string, organisationNumber: string): Promise<Signatory[]>;
  /** The organisations (companies and registered associations) this person may sign for. */
  representedBy(tenantId: string, personalNumber: string): Promise<Organisation[]>;
}

/** A person or an organisation that owns something. */
export interface Owner {
  personalNumber?: string;
  organisationNumber?: string;
  name: string;
}

export interface Property {
  /** The designation as the register writes it: "Norrby Eken 1:23". */
  designation: string;
  address: PostalAddress;
  /** Owners with their shares ("1/2"). */
  owners: (Owner & { share: string })[];
}

export interface PropertyRegister {
  readonly name: string;
  /** The property with this designation (case and spacing are not significant), or undefined. */
  property(tenantId: string, designation: string): Promise<Property | undefined>;
  /** The properties this person or organisation (personal or organisation number) owns a share of. */
  ownedBy(tenantId: string, ownerNumber: string): Promise<Property[]>;
}

export interface Vehicle {
  /** As written on the plate, without spaces, upper case: "ABC123", "ABC12D". */
  registrationNumber: string;
  make: string;
  model: string;
  year: number;
  owner: Owner;
}

export interface VehicleRegister {
  readonly name: string;
  /** The vehicle with this registration number (spaces and case not significant), or undefined. */
  vehicle(tenantId: string, registrationNumber: string): Promise<Vehicle | undefined>;
  /** The vehicles this person or organisation owns. */
  ownedBy(tenantId: string, ownerNumber: string): Promise<Vehicle[]>;
}
