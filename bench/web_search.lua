-- wrk script for bench/web_bench.sh: every request takes the next query from a rotating list
-- (the file named by WRK_QUERIES, one URL-encoded query a line) against the path prefix given as
-- the script's argument, e.g. `wrk ... -s bench/web_search.lua URL -- /search?q=`.
local queries = {}
local prefix = "/search?q="
local counter = 0

function init(args)
  if args[1] then prefix = args[1] end
  local file = io.open(os.getenv("WRK_QUERIES") or "", "r")
  if file then
    for line in file:lines() do
      if #line > 0 then queries[#queries + 1] = line end
    end
    file:close()
  end
  if #queries == 0 then queries = { "diffusion+models" } end
  -- Threads start at different points of the list, so they do not ask the same queries in step.
  counter = math.random(#queries)
end

function request()
  counter = counter % #queries + 1
  return wrk.format("GET", prefix .. queries[counter])
end
