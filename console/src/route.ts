/** Hash routes (#/agencies, #/requests?agency=…): the hub serves one page, and a link to a drill-down can be shared. */
import { useEffect, useState } from "react";

export interface Route {
  page: string;
  params: URLSearchParams;
}

function current(): Route {
  const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?");
  return { page: path || "agencies", params: new URLSearchParams(query ?? "") };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

export const link = (page: string, params: Record<string, string | undefined> = {}) => {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return `#/${page}${query.size ? `?${query}` : ""}`;
};
