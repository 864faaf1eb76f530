/** The console's one stylesheet, served from /console/assets/console.css (no CDN; contrast at WCAG AA or better). */
export const CONSOLE_CSS = `
:root{--ink:#111;--muted:#444;--line:#bbb;--accent:#0b4f8a;--urgent:#9b1111;--ok:#1d5e20;--bg:#fff;--soft:#f2f4f7}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header{background:var(--accent);color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a{color:#fff}header nav{display:flex;flex-wrap:wrap;gap:1rem}header .who{margin-left:auto;display:flex;gap:.75rem;align-items:center}
header form{display:inline}header button{background:#fff;color:var(--accent)}
main{padding:1rem;max-width:78rem;margin:0 auto}h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}.num{text-align:right;font-variant-numeric:tabular-nums}
.urgent{color:var(--urgent);font-weight:700}.ok{color:var(--ok);font-weight:700}.muted{color:var(--muted)}
.flash{border-left:6px solid var(--ok);background:#eef7ee;padding:.5rem 1rem;margin:0 0 1rem}.problem{border-left-color:var(--urgent);background:#fbeeee}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;background:var(--soft);padding:.75rem;margin-bottom:1rem}
label{display:block;font-weight:600;font-size:.95rem}input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #666;border-radius:4px;max-width:100%}
textarea{width:100%;min-height:4rem}button{font:inherit;padding:.4rem 1rem;border:0;border-radius:4px;background:var(--accent);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--accent);border:2px solid var(--accent)}button.danger{background:var(--urgent)}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem}.actions form{background:var(--soft);padding:.75rem;border-radius:4px}
.actions form > *{margin-bottom:.5rem}.actions select{width:100%}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.timeline li{margin-bottom:.35rem}.chart{max-width:100%;height:auto;border:1px solid var(--line);background:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1.5rem}.card{border:1px solid var(--line);padding:1rem;border-radius:4px;overflow-x:auto}
code{overflow-wrap:anywhere}.uploads{display:grid;gap:1.5rem}.diff ul{columns:2 18rem}
@media (max-width:40rem){th,td{padding:.3rem}header .who{margin-left:0}}
`;
