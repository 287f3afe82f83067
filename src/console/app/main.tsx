/** The OpenDDB web console: a client of the server's DynamoDB API, served at /console. */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { href, useRoute } from './route.js';
import { TablesView } from './views/TablesView.js';
import { CreateTableView } from './views/CreateTableView.js';
import { TableView } from './views/TableView.js';
import { PartiqlView } from './views/PartiqlView.js';
import { CapacityView } from './views/CapacityView.js';
import { SettingsView } from './views/SettingsView.js';

const SECTIONS: [string, string][] = [['tables', 'Tables'], ['new-table', 'New table'], ['partiql', 'PartiQL editor'], ['capacity', 'Capacity'], ['settings', 'Settings']];

function App() {
  const route = useRoute();
  const section = route[0] ?? 'tables';
  const main = useRef<HTMLElement>(null);
  const firstView = useRef(true);
  // After navigating (not on first load), move focus to the new view so keyboard and
  // screen-reader users land there.
  useEffect(() => {
    if (firstView.current) firstView.current = false;
    else main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.join('/')]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); main.current?.querySelector<HTMLElement>('h1')?.focus(); }}>Skip to content</a>
      <header>
        <span class="brand">OpenDDB console</span>
        <nav aria-label="Sections">
          {SECTIONS.map(([id, label]) => (
            <a key={id} href={href(id)} aria-current={section === id || (id === 'tables' && section === 'table') ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
      </header>
      <main id="main" ref={main}>
        {section === 'tables' && <TablesView />}
        {section === 'new-table' && <CreateTableView />}
        {section === 'table' && route[1] && <TableView name={route[1]} tab={route[2] ?? 'items'} />}
        {section === 'partiql' && <PartiqlView />}
        {section === 'capacity' && <CapacityView />}
        {section === 'settings' && <SettingsView />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
