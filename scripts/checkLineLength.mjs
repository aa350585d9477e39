// No line over 140 characters in the project's own text (the formatter cannot wrap strings, SQL or comments).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const LIMIT = 140;
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.mjs", "*.cjs", "*.prisma"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => file && !file.includes("/generated/"));
let over = 0;
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      if ([...line].length > LIMIT) {
        over++;
        console.log(`${file}:${index + 1}: ${[...line].length} characters`);
      }
    });
}
if (over > 0) {
  console.log(`${over} lines over ${LIMIT} characters`);
  process.exit(1);
}
