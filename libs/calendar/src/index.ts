// Public surface of @app/calendar: Chinese working days (holidays and 调休 make-up days) and the
// deadlines counted in them (DESIGN.md §5). Pure; no Nest, no database.
export * from './working-calendar';
export * from './chinese-days.calendar';
