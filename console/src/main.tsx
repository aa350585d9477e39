import { createRoot } from "react-dom/client";
import { App } from "./app";
import "./console.css";

createRoot(document.getElementById("app")!).render(<App />);
