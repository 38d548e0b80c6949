export { CleaningPage } from './cleaning-page';
export { FeedPage } from './feed-page';
export { MyCleaningsPage } from './my-cleanings-page';
export { NewCleaningPage } from './new-cleaning-page';
