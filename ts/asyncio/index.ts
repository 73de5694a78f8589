/** tulip: asyncio's public surface (`import * as asyncio from "tulip"`). */
export * from "./exceptions.js";
