/** Model bundles saved in this browser (IndexedDB): name -> zip bytes + a one-line description. */
const DB = "ser-models";
const STORE = "bundles";

export interface SavedBundle {
  name: string;
  description: string;
  savedAt: string;
  zip: Uint8Array;
}

function open(): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "name" });
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error ?? new Error("IndexedDB is not available in this browser."));
  });
}

async function run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((ok, fail) => {
      const req = f(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
  } finally {
    db.close();
  }
}

export const saveBundle = (b: SavedBundle) => run("readwrite", (s) => s.put(b));
export const listBundles = () => run<SavedBundle[]>("readonly", (s) => s.getAll() as IDBRequest<SavedBundle[]>);
export const deleteBundle = (name: string) => run("readwrite", (s) => s.delete(name));
