-- wrk script for bench/web_bench.sh: every request takes the next query from a rotating list
-- (the file named by WRK_QUERIES, one URL-encoded query a line) against the path prefix given as
-- the script's argument, e.g. `wrk ... -s bench/web_search.lua URL -- /search?q=`.
-- WRK_UNIQUE=1 appends a distinct `&u=N` to every request, so none is answered from the server's
-- response cache: the worst case, every search computed and rendered.
local queries = {}
local prefix = "/search?q="
local counter = 0
local unique = false
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  if args[1] then prefix = args[1] end
  unique = os.getenv("WRK_UNIQUE") == "1"
  local file = io.open(os.getenv("WRK_QUERIES") or "", "r")
  if file then
    for line in file:lines() do
      if #line > 0 then queries[#queries + 1] = line end
    end
    file:close()
  end
  if #queries == 0 then queries = { "diffusion+models" } end
  -- Threads start at different points of the list, so they do not ask the same queries in step.
  counter = ((id or 1) - 1) * 1000003 + math.floor(#queries / 2) * ((id or 1) - 1)
end

function request()
  counter = counter + 1
  local path = prefix .. queries[counter % #queries + 1]
  if unique then path = path .. "&u=" .. counter end
  return wrk.format("GET", path)
end
