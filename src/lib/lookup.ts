// Tables read by a name that comes from a request: enum aliases, search field catalogues,
// sort columns, operators. An object literal inherits Object.prototype's names, so
// `table[raw]` finds `constructor`, `toString` or `__proto__` when a client sends one (issue
// 12 item 3: `{"status": "constructor"}` stored "function Object() { [native code] }" as a
// chat's status). A lookup has no prototype, so only the names written in it are found, and
// it is frozen, so a table stays what its module says.

declare const noInheritedNames: unique symbol;

/** what only `lookup()` makes: a plain object cannot be passed where a Lookup is expected */
interface NoInheritedNames {
  readonly [noInheritedNames]: true;
}

/** a table read by names from a request: any name may be absent */
export type Lookup<V> = { readonly [name: string]: V | undefined } & NoInheritedNames;

/** `entries` as a frozen object without a prototype; the names written keep their types */
export function lookup<const T extends { readonly [name: string]: unknown }>(entries: T): Readonly<T> & Lookup<T[keyof T]> {
  return Object.freeze(Object.assign(Object.create(null) as object, entries)) as Readonly<T> & Lookup<T[keyof T]>;
}
