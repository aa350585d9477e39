// For scripts/gql.sh: prints a GraphQL reply, or the value at a path in it. Exit 1: the reply has errors;
// exit 3: the path leads nowhere yet (the caller asks again).
const [reply, path] = process.argv.slice(2);
const parsed = JSON.parse(reply);
if (parsed.errors) {
  console.error(JSON.stringify(parsed, null, 2));
  process.exit(1);
}
if (!path) {
  console.log(JSON.stringify(parsed, null, 2));
  process.exit(0);
}
let value = parsed;
for (const step of path.match(/[^.[\]]+|\[[^\]]*\]/g)) {
  const selector = /^\[(.+)=(.*)\]$/.exec(step);
  const matches = (item) => selector && String(item?.[selector[1]]) === selector[2];
  // On a list a selector picks the first item that matches; on an object it is a condition to wait for.
  value = !selector ? value?.[step] : Array.isArray(value) ? value.find(matches) : matches(value) ? value : undefined;
}
if (value === undefined || value === null) process.exit(3);
console.log(typeof value === "string" ? value : JSON.stringify(value));
