// Stylesheets are bundled by Vite; importing one has no value to type.
declare module '*.css';

// Vite bundles a module for a worker or worklet and gives its URL.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
