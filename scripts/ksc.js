// Compile one Kaitai spec (JSON of the parsed .ksy on stdin) to Python with the npm build of
// kaitai-struct-compiler; print {filename: source} as JSON. Called by scripts/gen_parsers.py.
const path = require("path");
const compiler = require(path.join(process.argv[2], "kaitai-struct-compiler"));
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const spec = JSON.parse(input);
  compiler.compile("python", spec, null, false).then(
    (files) => { process.stdout.write(JSON.stringify(files)); },
    (err) => { process.stderr.write(String(err) + "\n"); process.exit(1); },
  );
});
