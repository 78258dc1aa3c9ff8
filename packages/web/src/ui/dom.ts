/** Small DOM helpers the views share. */

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function line(text: string) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}

export function cell(text: string) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

export function span(text: string) {
  const s = document.createElement("span");
  s.textContent = text;
  return s;
}

/** A table with a header row; numbers are right-aligned (class "num"). */
export function table(head: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = document.createElement("table");
  const tr = t.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    tr.append(th);
  }
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const c of r) {
      const td = row.insertCell();
      td.textContent = String(c);
      if (typeof c === "number") td.className = "num";
    }
  }
  return t;
}

/** A table cell holding a button named after a recording's file: clicking plays and shows it. */
export function clipCell(path: string, onClick: () => void): HTMLTableCellElement {
  const td = document.createElement("td");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = path.split("/").pop()!;
  button.title = `Play and show ${path}`;
  button.addEventListener("click", onClick);
  td.append(button);
  return td;
}

/** Wraps a wide element (a table) in a box that scrolls sideways, so a phone's page does not. */
export function scrollBox(el: HTMLElement): HTMLDivElement {
  const box = document.createElement("div");
  box.className = "scroll-x";
  box.append(el);
  return box;
}
