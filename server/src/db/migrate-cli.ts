// npm run migrate [-- down]
import { loadConfig } from '../config';
import { migrate } from './migrate';

const direction = process.argv[2] === 'down' ? 'down' : 'up';
const names = await migrate(loadConfig().databaseUrl, direction);
console.log(names.length ? `${direction}: ${names.join(', ')}` : 'database is up to date');
