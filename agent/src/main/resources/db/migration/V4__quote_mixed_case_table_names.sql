-- Table names now read as PostgreSQL reads them: an unquoted part folds to lower case. Before,
-- "public.Orders" named the table "Orders" exactly; stored specs keep naming the same table by
-- quoting every part that has an upper-case letter ("public.Orders" -> public."Orders"). Names
-- written before were plain identifiers ([A-Za-z_][A-Za-z0-9_]*), so nothing else needs quoting.
update pipeline p
set spec = jsonb_set(p.spec, '{config,tables}', (
  select jsonb_agg(
           case when t ~ '^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$' and t ~ '[A-Z]'
                then (select string_agg(case when part ~ '[A-Z]' then '"' || part || '"' else part end, '.'
                                        order by n)
                      from unnest(string_to_array(t, '.')) with ordinality as x(part, n))
                else t end
           order by i)
  from jsonb_array_elements_text(p.spec -> 'config' -> 'tables') with ordinality as e(t, i)))
where jsonb_typeof(p.spec -> 'config' -> 'tables') = 'array'
  and exists (select 1 from jsonb_array_elements_text(p.spec -> 'config' -> 'tables') t where t ~ '[A-Z]');
