export { TodosPage } from './todos-page';
