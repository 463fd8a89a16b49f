/** The protocol's version, shown in the generated documents. */
export const PROTOCOL_VERSION = "0.1.0";
